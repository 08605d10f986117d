export * from './mirror-client'
export * from './read-topic'
export * from './commit-offsets'
