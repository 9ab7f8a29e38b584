// A WebSocket peer in a process of its own, for heartbeat-judgement.test.ts: it answers each
// heartbeat ping 20 ms after it arrives, so the answer reaches the hub's socket while the hub's
// loop is busy. It prints `ready`, `ping` and `closed <code> <reason>` lines on stdout.
//   node late-answering-peer.ts <url> <protocol> <user>
import { WebSocket } from 'ws';

const [url, protocol, user] = process.argv.slice(2) as [string, string, string];
const socket = new WebSocket(url, [protocol], {
  headers: { authorization: `Bearer ${user}.e30.x` },
  autoPong: false,
});
socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe' })));
socket.on('message', (data) => {
  if ((JSON.parse(String(data)) as { type?: string }).type === 'ready') console.log('ready');
});
socket.on('ping', (payload) => {
  console.log('ping');
  setTimeout(() => socket.pong(payload), 20);
});
socket.on('close', (code, reason) => {
  console.log(`closed ${code} ${String(reason)}`);
  process.exit(0);
});
