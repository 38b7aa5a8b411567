import type { Actor } from '../../../machines/roles';
import type { CommentStore } from '../../store/comments';
import type { FilingHead } from '../../store/filings';
import type { Campaigns } from './campaigns';
import type { Disposal, Progress } from './types';
import { actorRecord } from '../../store/records';

/**
 * R11: the answers to a round's comments — given one by one or to a whole campaign at once —
 * and how far they have got. Who may answer, and when, the workbench decides.
 */
export class Dispositions {
  constructor(
    private readonly comments: CommentStore,
    private readonly campaigns: Campaigns,
  ) {}

  /** Answers the comments of a disposal; how many it answered. */
  async dispose(head: Pick<FilingHead, '_id'>, round: number, disposal: Disposal, actor: Actor, now: Date): Promise<number> {
    const ids = disposal.clusterId ? await this.campaigns.members(head._id, round, disposal.clusterId) : (disposal.commentIds ?? []);
    const by = actorRecord(actor);
    return this.comments.dispose(head._id, round, ids, { outcome: disposal.outcome, reason: disposal.reason, at: now, by });
  }

  /** Comments of a round per outcome, and those still unanswered. */
  async progress(head: Pick<FilingHead, '_id'>, round: number): Promise<Progress> {
    const rows = await this.comments.outcomeCounts(head._id, round);
    const progress = { total: 0, undisposed: 0, adopted: 0, partlyAdopted: 0, notAdopted: 0, notApplicable: 0 };
    for (const row of rows) {
      progress[row._id ?? 'undisposed'] += row.count;
      progress.total += row.count;
    }
    return progress;
  }
}
