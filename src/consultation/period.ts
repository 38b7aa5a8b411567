import type { Particulars } from '../../machines/dossier';
import { addCalendarDays, addWorkingDays } from '../calendar';
import { AppError } from '../errors';

/**
 * R9 minimum comment periods, as per-jurisdiction settings. Defaults: rules (规章) and major
 * administrative decisions at least 30 days (规章制定程序条例 art. 15; 重大行政决策程序暂行条例);
 * normative documents at least 7 working days, 30 days where they closely affect enterprises;
 * anything else put out for comment voluntarily, 7 working days.
 */
export interface PeriodSettings {
  ruleOrMajorDecisionDays: number;
  normativeWorkingDays: number;
  enterpriseDays: number;
  otherWorkingDays: number;
}

export const DEFAULT_PERIOD_SETTINGS: PeriodSettings = {
  ruleOrMajorDecisionDays: 30,
  normativeWorkingDays: 7,
  enterpriseDays: 30,
  otherWorkingDays: 7,
};

export interface MinimumPeriod {
  /** In words, for the 422 answer and the public page. */
  description: string;
  endsAt: Date;
}

export function minimumPeriod(particulars: Particulars, startsAt: Date, settings: PeriodSettings): MinimumPeriod {
  if (particulars.documentKind === 'rule' || particulars.majorDecision) {
    const days = settings.ruleOrMajorDecisionDays;
    return { description: `规章和重大行政决策不少于${days}日`, endsAt: addCalendarDays(startsAt, days) };
  }
  if (particulars.documentKind === 'normative' && particulars.affectsEnterprises) {
    const days = settings.enterpriseDays;
    return { description: `与企业生产经营密切相关的规范性文件不少于${days}日`, endsAt: addCalendarDays(startsAt, days) };
  }
  if (particulars.documentKind === 'normative') {
    const days = settings.normativeWorkingDays;
    return { description: `规范性文件不少于${days}个工作日`, endsAt: addWorkingDays(startsAt, days) };
  }
  const days = settings.otherWorkingDays;
  return { description: `不少于${days}个工作日`, endsAt: addWorkingDays(startsAt, days) };
}

/**
 * Checks a requested period (R9): it must lie ahead, and a period shorter than the minimum needs
 * a reason, which is published with the call for comments.
 */
export function checkPeriod(
  particulars: Particulars,
  request: { startsAt: Date; endsAt: Date; shortenedReason: string | null },
  now: Date,
  settings: PeriodSettings,
): MinimumPeriod {
  // A few minutes of slack for clocks and the time it takes to fill the form.
  if (request.startsAt.getTime() < now.getTime() - 10 * 60_000) {
    throw new AppError('VALIDATION_FAILED', { field: 'startsAt' }, '征求意见开始时间不能早于当前时间');
  }
  if (request.endsAt <= request.startsAt) {
    throw new AppError('VALIDATION_FAILED', { field: 'endsAt' }, '征求意见结束时间须晚于开始时间');
  }
  const minimum = minimumPeriod(particulars, request.startsAt, settings);
  if (request.endsAt < minimum.endsAt && !request.shortenedReason) {
    throw new AppError('CONSULTATION_PERIOD_TOO_SHORT', {
      field: 'endsAt',
      minimum: minimum.description,
      minimumEndsAt: minimum.endsAt.toISOString(),
    });
  }
  return minimum;
}
