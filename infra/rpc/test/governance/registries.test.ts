import { describe, expect, it } from '@jest/globals';
import { InProcessRegistry, StaticRegistry, type ServiceInstance } from '../../src/governance/index.ts';
import { instance } from './fake-cluster.ts';

const ids = (instances: readonly ServiceInstance[]) => instances.map((entry) => entry.id).sort();

describe('StaticRegistry', () => {
  const registry = new StaticRegistry([instance('s1'), instance('s2'), instance('s1', 'identity-service')]);

  it('lists the configured instances of a service, with defaults filled in', async () => {
    expect(await registry.instances('catalog-service')).toEqual([
      { id: 's1', service: 'catalog-service', host: '127.0.0.1', port: 7001, version: '0.0.0', tls: false },
      { id: 's2', service: 'catalog-service', host: '127.0.0.1', port: 7002, version: '0.0.0', tls: false },
    ]);
  });

  it('delivers the fixed set to a watcher at once', async () => {
    let seen: readonly ServiceInstance[] = [];
    await registry.watch('identity-service', (instances) => (seen = instances));
    expect(ids(seen)).toEqual(['s1']);
  });

  it('accepts a registration only for an instance the config names', async () => {
    await expect(registry.register(instance('s2'))).resolves.toMatchObject({ instance: { id: 's2' } });
    await expect(registry.register(instance('s9'))).rejects.toThrow(
      'instance s9 of catalog-service is not in the static registry config',
    );
  });

  it('refuses bad config with the entry and field at fault', () => {
    expect(
      () => new StaticRegistry([instance('s1'), { id: 's2', service: 'catalog-service', host: '', port: 1 }]),
    ).toThrow('invalid service instance from static registry config [1]: host:');
    expect(() => new StaticRegistry([instance('s1'), instance('s1')])).toThrow(
      'lists instance catalog-service/s1 twice',
    );
  });
});

describe('InProcessRegistry', () => {
  it('tells watchers about joins and leaves', async () => {
    const registry = new InProcessRegistry();
    const history: string[][] = [];
    const unwatch = await registry.watch('catalog-service', (instances) => history.push(ids(instances)));
    const first = await registry.register(instance('e1'));
    await registry.register(instance('e2'));
    await registry.register(instance('e3', 'identity-service'));
    await first.deregister();
    unwatch();
    await registry.register(instance('e4'));
    expect(history).toEqual([[], ['e1'], ['e1', 'e2'], ['e2']]);
    expect(ids(await registry.instances('catalog-service'))).toEqual(['e2', 'e4']);
  });

  it('refuses a second instance under the same id', async () => {
    const registry = new InProcessRegistry();
    await registry.register(instance('e1'));
    await expect(registry.register(instance('e1'))).rejects.toThrow(
      'instance e1 of catalog-service is already registered',
    );
  });
});
