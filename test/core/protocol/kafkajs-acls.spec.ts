// The ACL APIs' codecs against kafkajs's own encoders and decoders (v0 and v1, what kafkajs sends).
import * as assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { kafkajsRequestToOurs, ourResponseToKafkajs, range, throttle } from './helpers/kafkajs-oracle'

const filter = {
  resourceType: 2, resourceName: 'orders', resourcePatternType: 2, principal: null, host: '*', operation: 1, permissionType: 3,
}
/** Our decoding of `filter`: v0 has no pattern type and means LITERAL (3). */
const ourFilter = (v: number): Record<string, unknown> => ({
  resourceTypeFilter: 2, resourceNameFilter: 'orders', patternTypeFilter: v >= 1 ? 2 : 3, principalFilter: null, hostFilter: '*', operation: 1, permissionType: 3,
})

describe('core/protocol vs kafkajs: ACL APIs', () => {
  for (const v of range(0, 1)) {
    it(`DescribeAcls v${v}`, async () => {
      const body = await kafkajsRequestToOurs('describeAcls', v, ApiKey.DescribeAcls, filter)
      assert.deepEqual(body, ourFilter(v))
      const decoded = await ourResponseToKafkajs('describeAcls', v, ApiKey.DescribeAcls, {
        throttleTimeMs: 3, errorCode: 0, errorMessage: null,
        resources: [{ resourceType: 2, resourceName: 'orders', patternType: 4, acls: [{ principal: 'User:a', host: '*', operation: 3, permissionType: 3 }] }],
      })
      const resource = { resourceType: 2, resourceName: 'orders', ...(v >= 1 ? { resourcePatternType: 4 } : {}), acls: [{ principal: 'User:a', host: '*', operation: 3, permissionType: 3 }] }
      assert.deepEqual(decoded, { ...throttle(v, 1, 3), errorCode: 0, errorMessage: null, resources: [resource] })
      const disabled = await ourResponseToKafkajs('describeAcls', v, ApiKey.DescribeAcls, { throttleTimeMs: 0, errorCode: 54, errorMessage: 'No Authorizer is configured on the broker', resources: [] })
      assert.equal(disabled.errorCode, 54)
      assert.equal(disabled.errorMessage, 'No Authorizer is configured on the broker')
    })

    it(`CreateAcls v${v}`, async () => {
      const acl = { resourceType: 2, resourceName: 'orders', resourcePatternType: 4, principal: 'User:a', host: '*', operation: 4, permissionType: 2 }
      const body = await kafkajsRequestToOurs('createAcls', v, ApiKey.CreateAcls, { creations: [acl] })
      assert.deepEqual(body, { creations: [{ ...acl, resourcePatternType: v >= 1 ? 4 : 3 }] })
      const decoded = await ourResponseToKafkajs('createAcls', v, ApiKey.CreateAcls, {
        throttleTimeMs: 2, results: [{ errorCode: 0, errorMessage: null }, { errorCode: 42, errorMessage: 'bad principal' }],
      })
      assert.deepEqual(decoded, { ...throttle(v, 1, 2), creationResponses: [{ errorCode: 0, errorMessage: null }, { errorCode: 42, errorMessage: 'bad principal' }] })
    })

    it(`DeleteAcls v${v}`, async () => {
      const body = await kafkajsRequestToOurs('deleteAcls', v, ApiKey.DeleteAcls, { filters: [filter] })
      assert.deepEqual(body, { filters: [ourFilter(v)] })
      const matching = { errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders', patternType: 3, principal: 'User:a', host: '*', operation: 3, permissionType: 3 }
      const decoded = await ourResponseToKafkajs('deleteAcls', v, ApiKey.DeleteAcls, {
        throttleTimeMs: 1, filterResults: [{ errorCode: 0, errorMessage: null, matchingAcls: [matching] }, { errorCode: 42, errorMessage: 'bad filter', matchingAcls: [] }],
      })
      const { patternType, ...rest } = matching
      const theirs = v >= 1 ? { ...rest, resourcePatternType: patternType } : rest
      assert.deepEqual(decoded, { ...throttle(v, 1, 1), filterResponses: [{ errorCode: 0, errorMessage: null, matchingAcls: [theirs] }, { errorCode: 42, errorMessage: 'bad filter', matchingAcls: [] }] })
    })
  }
})
