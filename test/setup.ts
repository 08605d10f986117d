// Loaded by mocha before any spec: keep library logs quiet unless asked for.
process.env.GODWIT_LOG_LEVEL ??= 'warn'
