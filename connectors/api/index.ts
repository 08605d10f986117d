// The connector API: what plugins (FileStream, MirrorMaker 2's connectors, your own) implement.
export * from './records'
export * from './connector'
export * from './task'
