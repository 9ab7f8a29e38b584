export type { ConnectionState, RpcConnection, RpcListener } from './rpc-connection.ts';
export { connectInProcess, type InProcessOptions } from './in-process-transport.ts';
export { connectTcp, ConnectError, type TcpClientOptions } from './tcp-client.ts';
export { listenTcp, type TcpServerOptions } from './tcp-server.ts';
export { DeadlineExceededError } from '../deadline/index.ts';
export { DEFAULT_MAX_FRAME_BYTES, FrameError, encodeFrame, FrameDecoder, wireClone } from './frame-codec.ts';
export { FRAME_TYPE } from './frame.ts';
export type { TransportLogger } from './transport-logger.ts';
