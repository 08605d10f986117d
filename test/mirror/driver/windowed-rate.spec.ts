import assert from 'node:assert/strict'
import { WindowedRate } from '../../../mirror/driver/windowed-rate'

describe('mirror/driver/windowed-rate', () => {
  it('averages what was added over the last window, per label set, and forgets what fell out', () => {
    let now = 1_000_000
    const rate = new WindowedRate(10, () => now)
    const a = { topic: 'a', partition: '0' }
    const b = { topic: 'b', partition: '0' }
    for (let s = 0; s < 10; s++) {
      rate.add(a, 100)
      if (s % 2 === 0) rate.add(b, 30)
      now += 1000
    }
    now -= 1000 // still inside the tenth second: all ten seconds are in the window
    const byTopic = (): Map<string, number> => new Map(rate.rates().map((r) => [r.labels.topic, r.perSecond]))
    assert.deepEqual(byTopic(), new Map([['a', 100], ['b', 15]]))
    now += 3000 // three seconds on: the first three buckets left the window
    assert.deepEqual(byTopic(), new Map([['a', 70], ['b', 9]]))
    now += 10_000 // all quiet for a window: each label set reads 0 once, then goes away
    assert.deepEqual(byTopic(), new Map([['a', 0], ['b', 0]]))
    assert.deepEqual(rate.rates(), [])
  })
})
