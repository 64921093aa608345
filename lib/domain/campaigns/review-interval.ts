const DAY = 86_400_000;

/** Certifying schedules the next review by risk: privileged access sooner (campaign settings, 90 and 365 days by default). */
export function nextReviewDue(certifiedAt: Date, privileged: boolean, intervals: { privilegedReviewDays: number; standardReviewDays: number }): Date {
  const days = privileged ? intervals.privilegedReviewDays : intervals.standardReviewDays;
  return new Date(certifiedAt.getTime() + days * DAY);
}
