export * from './heartbeat'
export * from './checkpoint'
export * from './offset-sync'
