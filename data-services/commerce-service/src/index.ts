export {
  COMMERCE_SERVICE,
  commerceMapping,
  createCommerceService,
  type CommerceService,
  type CommerceServiceOptions,
} from './create-commerce-service.ts';
export { orderTermsEnvShape, orderTermsOf } from './order-terms-env.ts';
