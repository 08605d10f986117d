export * from './start-mirror'
