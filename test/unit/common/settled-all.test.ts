import { settledAll } from '../../../bake/common/settled-all';

describe('settledAll', () => {
  it('gives every value in order, plain values included', async () => {
    await expect(settledAll([Promise.resolve(1), 'two', undefined])).resolves.toEqual([1, 'two', undefined]);
  });

  it('rejects with the first failure in order, only after every promise has settled', async () => {
    const order: string[] = [];
    const slow = new Promise<void>((resolve) => setTimeout(() => (order.push('slow done'), resolve()), 30));
    const failing = (async () => {
      order.push('failed');
      throw new Error('first');
    })();
    const later = Promise.reject(new Error('second'));
    await expect(settledAll([slow, failing, later])).rejects.toThrow('first');
    order.push('rejected');
    expect(order).toEqual(['failed', 'slow done', 'rejected']);
  });
});
