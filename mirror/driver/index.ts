export * from './start-mirror'
export * from './distributed-mirror'
