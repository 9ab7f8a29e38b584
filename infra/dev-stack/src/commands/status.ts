import { isRunning } from '../detached-process.ts';
import { stackServices } from '../stack-services.ts';
import { readState } from '../stack-state.ts';

/** One line per service: answering or not, and whether this tree's `up` started it. */
export async function status(): Promise<number> {
  const state = readState();
  const services = stackServices();
  const answers = await Promise.all(
    services.map((service) =>
      service.probe().then(
        () => true,
        () => false,
      ),
    ),
  );
  console.log(`${'service'.padEnd(8)} ${'state'.padEnd(5)} ${'address'.padEnd(24)} owner`);
  services.forEach((service, index) => {
    const ours = state[service.name];
    const running = ours !== undefined && isRunning(ours);
    const owner = running
      ? `dev-stack (pid ${ours.pid}, since ${ours.startedAt})`
      : answers[index]
        ? 'external (reused, never stopped by stack:down)'
        : '-';
    console.log(
      `${service.name.padEnd(8)} ${(answers[index] ? 'up' : 'down').padEnd(5)} ${service.address.padEnd(24)} ${owner}`,
    );
  });
  const down = answers.filter((answer) => !answer).length;
  if (down > 0) {
    console.log(`${down} of ${services.length} down; bring them up with: npm run stack:up`);
    return 1;
  }
  return 0;
}
