import {describe, expect, it} from 'vitest'

import {compareNames} from '../../src/domain/order.js'

describe('compareNames', () => {
  it("orders names by code unit, as Java's String.compareTo (and so Kafka's tools) does, whatever the locale", () => {
    const names = ['orders_2', 'orders', 'Orders', 'orders-2', 'orders.2', 'b', 'a', 'Zeta', 'ärger']
    expect([...names].sort(compareNames)).toEqual(['Orders', 'Zeta', 'a', 'b', 'orders', 'orders-2', 'orders.2', 'orders_2', 'ärger'])
    expect(compareNames('x', 'x')).toBe(0)
  })
})
