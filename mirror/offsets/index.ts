export * from './offset-sync-emitter'
export * from './offset-translator'
