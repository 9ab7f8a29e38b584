// nginx as the benches run it beside our processes: one worker (as our rows are one process), no
// access log, every file it writes in the bench's own directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

/**
 * Starts nginx on a free loopback port with `location` (the `location / { … }` body's directives)
 * and `upstreams` (more `http` directives, such as an `upstream` block); its master joins `children`.
 */
export async function startNginx(
  dir: string,
  children: ChildProcess[],
  location: string,
  upstreams = '',
): Promise<{ port: number; master: ChildProcess }> {
  const port = await freePort();
  await writeFile(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  ${upstreams}
  server {
    listen 127.0.0.1:${port};
    location / { ${location} }
  }
}
`,
  );
  const master = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: 'inherit',
  });
  children.push(master);
  return { port, master };
}

/** The pid of nginx's one worker, the master's child: whose CPU a request costs (once it answers). */
export function nginxWorker(masterPid: number): number {
  const children = readFileSync(`/proc/${masterPid}/task/${masterPid}/children`, 'utf8').trim().split(' ');
  return Number(children[0]);
}
