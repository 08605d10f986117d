export * from './mirror-client'
export * from './read-topic'
