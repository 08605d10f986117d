export * from './mirror-config-def'
export * from './mm2-config'
export * from './kafkajs-config'
