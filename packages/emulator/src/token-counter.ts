/** Counts token endpoint calls by `grant_type`, so tests can prove "exactly one refresh". */
export class TokenCounter {
  #total = 0;
  readonly #byGrantType = new Map<string, number>();

  /** Records one call; `grantType` is undefined when the request named none (or was unreadable). */
  record(grantType: string | undefined): void {
    this.#total += 1;
    if (grantType !== undefined)
      this.#byGrantType.set(grantType, (this.#byGrantType.get(grantType) ?? 0) + 1);
  }

  /** Calls since start or the last reset: all of them, or those of one grant type. */
  count(grantType?: string): number {
    return grantType === undefined ? this.#total : (this.#byGrantType.get(grantType) ?? 0);
  }

  reset(): void {
    this.#total = 0;
    this.#byGrantType.clear();
  }
}
