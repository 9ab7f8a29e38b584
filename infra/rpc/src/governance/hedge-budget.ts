/**
 * Caps backup requests at a share of calls. Every call earns `maxShare` of a token and a backup
 * spends a whole one, so after n calls at most ⌊n · maxShare⌋ backups have been sent, however
 * slow the service gets: backups help with a slow instance, but must not double the load on a
 * slow cluster. Unspent credit is capped so a long quiet spell cannot fund a burst of backups.
 */
export class HedgeBudget {
  readonly #maxShare: number;
  readonly #maxCredit: number;
  #credit = 0;

  constructor(maxShare: number, maxCredit = 10) {
    if (!(maxShare > 0 && maxShare < 1))
      throw new RangeError(`maxShare must be between 0 and 1 exclusive, got ${maxShare}`);
    this.#maxShare = maxShare;
    this.#maxCredit = maxCredit;
  }

  recordCall(): void {
    this.#credit = Math.min(this.#maxCredit, this.#credit + this.#maxShare);
  }

  tryHedge(): boolean {
    // A small epsilon absorbs float error: twenty calls at 0.05 must fund exactly one backup.
    if (this.#credit < 1 - 1e-9) return false;
    this.#credit -= 1;
    return true;
  }
}
