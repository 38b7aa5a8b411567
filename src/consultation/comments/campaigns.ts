import { AppError } from '../../errors';
import type { CommentStore } from '../../store/comments';
import type { ObjectId } from '../../store/ids';
import type { ClusteringRecord, DispositionOutcome } from '../../store/records';
import { CLUSTERING_ALGORITHM, clusterComments } from '../cluster';
import type { CampaignView } from './types';

/**
 * Campaigns (R11): groups of identical and near-identical comments, so they can be answered at
 * once and reported as concentrated opinions. Computed once per round and stored; recomputed
 * when comments were added since, or when another version of the clustering computed it.
 */
export class Campaigns {
  constructor(private readonly comments: CommentStore) {}

  async clustering(filingId: ObjectId, round: number): Promise<ClusteringRecord> {
    const id = `${String(filingId)}-${round}`;
    const stored = await this.comments.clustering(id);
    if (stored && stored.algorithm === CLUSTERING_ALGORITHM && stored.commentCount === (await this.comments.countInRound(filingId, round))) {
      return stored;
    }
    // Ordered here rather than by the database: the order only decides each cluster's
    // representative (its earliest comment), and sorting 10⁵–10⁶ small records in memory is
    // cheaper than a database sort that no index of {createdAt, _id} serves in full.
    const comments = await this.comments.bodiesOfRound(filingId, round);
    const ids = comments.map((c) => String(c._id));
    const times = comments.map((c) => c.createdAt.getTime());
    const order = Array.from(comments.keys()).sort((a, b) => times[a] - times[b] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    const clusters = clusterComments(order.map((i) => ({ id: ids[i], text: comments[i].body })))
      .filter((c) => c.memberIds.length > 1)
      .map((c) => ({ id: c.id, memberIds: c.memberIds }));
    // The count of what was clustered, not a second count that comments arriving meanwhile
    // would make disagree with it.
    const record: ClusteringRecord = {
      _id: id,
      filingId,
      round,
      algorithm: CLUSTERING_ALGORITHM,
      commentCount: comments.length,
      computedAt: new Date(),
      clusters,
    };
    await this.comments.saveClustering(record);
    return record;
  }

  /** The ids of a campaign's comments; 404 when the round has no such campaign. */
  async members(filingId: ObjectId, round: number, clusterId: string): Promise<string[]> {
    const cluster = (await this.clustering(filingId, round)).clusters.find((c) => c.id === clusterId);
    if (!cluster) throw new AppError('CLUSTER_NOT_FOUND', { clusterId });
    return cluster.memberIds;
  }

  /**
   * The campaigns of a round, largest first, with how far their answers have got, and whether
   * each is a concentrated opinion (R11) — at least `concentratedMinComments` comments, the
   * same test as the adoption report's.
   */
  async campaigns(filingId: ObjectId, round: number, concentratedMinComments: number): Promise<CampaignView[]> {
    const { clusters } = await this.clustering(filingId, round);
    const comments = await this.comments.answersOfRound(filingId, round);
    const byId = new Map(comments.map((c) => [String(c._id), c]));
    // The texts of the campaigns' representatives only, not of every comment of the round.
    const samples = await this.comments.publicTexts(filingId, clusters.map((c) => c.id));
    return clusters
      .map((cluster) => {
        const outcomes: Partial<Record<DispositionOutcome | 'undisposed', number>> = {};
        for (const id of cluster.memberIds) {
          const key = byId.get(id)?.disposition?.outcome ?? 'undisposed';
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
        return {
          clusterId: cluster.id,
          size: cluster.memberIds.length,
          concentrated: cluster.memberIds.length >= concentratedMinComments,
          sample: samples.get(cluster.id) ?? '',
          outcomes,
        };
      })
      .sort((a, b) => b.size - a.size || a.clusterId.localeCompare(b.clusterId));
  }
}
