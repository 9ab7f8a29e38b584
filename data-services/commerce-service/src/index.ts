export {
  COMMERCE_SERVICE,
  commerceMapping,
  createCommerceService,
  type CommerceService,
  type CommerceServiceOptions,
  type ServiceDatabaseConfig,
} from './create-commerce-service.ts';
