export { createStudioApi, type StudioApiOptions } from './create-studio-api.ts';
export { StudioApiModule, type StudioApiDependencies } from './studio-api.module.ts';
export { studioApiOpenApi } from './studio-api-openapi.ts';
export { CourseSalesFigures } from './course-sales-figures.ts';
export type { ApplyOutcome, SaleChange, SoldLine } from './sale-change.ts';
export { DEFAULT_PROCESSED_IDS_KEPT, type SalesReadModel } from './sales-read-model.ts';
export { MemorySalesReadModel } from './memory-sales-read-model.ts';
export { RedisSalesReadModel, type RedisSalesReadModelOptions } from './redis-sales-read-model.ts';
export { DEFAULT_SALES_CONSUMER_GROUP, salesProcessor } from './sales-projection.ts';
export {
  inProcessOrderingEvents,
  orderingEventsTopic,
  type OrderingEventFeed,
} from './ordering-event-feed.ts';
export { kafkaOrderingEvents } from './kafka-ordering-events.ts';
export { rebuildSalesReadModel, type RebuildOutcome, type RebuildProgress } from './rebuild-sales.ts';
export { LinkAddresses, type LateUrl } from './link-addresses.ts';
