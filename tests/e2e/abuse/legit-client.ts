import { setTimeout as sleep } from 'node:timers/promises';
import { callJson, someAddress } from './client.ts';

// Other users going about their business while the abuse runs: browsing the catalogue, reading a
// course, an instructor listing and editing their own draft, a learner reading their account.
// Every one of their requests must succeed, during the run and after it.

export interface LegitUsers {
  learnerToken: string;
  instructorToken: string;
  /** A draft of the instructor's, which only they edit. */
  instructorCourseId: string;
  /** A published course anyone may read. */
  publishedCourseId: string;
}

const PAUSE_MS = 100;

export class LegitClient {
  sent = 0;
  succeeded = 0;
  readonly failures: string[] = [];
  #running = false;
  #loop: Promise<void> | undefined;
  #revision = 0;
  /** The version of the instructor's draft this client last saw, for If-Match. */
  #version: number | undefined;
  // The catalogue is limited per address: this client is one browsing user with one address.
  readonly #browserAddress = someAddress();

  private readonly port: number;
  private readonly users: LegitUsers;

  constructor(port: number, users: LegitUsers) {
    this.port = port;
    this.users = users;
  }

  start(): void {
    this.#running = true;
    this.#loop = (async () => {
      let turn = 0;
      while (this.#running) {
        await this.once(turn);
        turn += 1;
        await sleep(PAUSE_MS);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** One request of each kind, in order: the check after the run. */
  async round(): Promise<void> {
    for (let turn = 0; turn < 5; turn += 1) await this.once(turn);
  }

  private async once(turn: number): Promise<void> {
    const { port, users } = this;
    const kind = turn % 5;
    let name = '';
    try {
      let ok = false;
      let seen = '';
      if (kind === 0) {
        name = 'browse the catalogue';
        const answer = await callJson(port, 'GET', '/api/learner/courses', { from: this.#browserAddress });
        ok = answer.status === 200 && Array.isArray(answer.body?.items);
        seen = `${answer.status}`;
      } else if (kind === 1) {
        name = 'read a published course';
        const answer = await callJson(port, 'GET', `/api/learner/courses/${users.publishedCourseId}`, {
          token: users.learnerToken,
        });
        ok = answer.status === 200 && answer.body?.id === users.publishedCourseId;
        seen = `${answer.status}`;
      } else if (kind === 2) {
        name = "list one's own courses";
        const answer = await callJson(port, 'GET', '/api/studio/courses', { token: users.instructorToken });
        ok =
          answer.status === 200 &&
          answer.body?.items?.some((course: { id: string }) => course.id === users.instructorCourseId);
        seen = `${answer.status}`;
      } else if (kind === 3) {
        name = "edit one's own draft";
        this.#revision += 1;
        const description = `Revision ${this.#revision}`;
        // As an editor does: the version last seen goes back as If-Match (this client alone edits it).
        if (this.#version === undefined) {
          const mine = await callJson(port, 'GET', '/api/studio/courses?limit=100', {
            token: users.instructorToken,
          });
          this.#version = mine.body?.items?.find(
            (course: { id: string }) => course.id === users.instructorCourseId,
          )?.version as number | undefined;
        }
        const answer = await callJson(port, 'PATCH', `/api/studio/courses/${users.instructorCourseId}`, {
          token: users.instructorToken,
          body: { description },
          ifMatch: `"${this.#version}"`,
        });
        ok = answer.status === 200 && answer.body?.description === description;
        if (ok) this.#version = answer.body.version as number;
        else this.#version = undefined;
        seen = `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
      } else {
        name = "read one's account";
        const answer = await callJson(port, 'GET', '/api/account/me', { token: users.learnerToken });
        ok = answer.status === 200 && typeof answer.body?.id === 'string';
        seen = `${answer.status}`;
      }
      this.sent += 1;
      if (ok) this.succeeded += 1;
      else this.failures.push(`${name}: ${seen}`);
    } catch (error) {
      this.sent += 1;
      this.failures.push(`${name}: ${(error as Error).message}`);
    }
  }
}
