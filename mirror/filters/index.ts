export * from './filters'
