// MM2's default filters: a name is taken when it fully matches one include regex and no exclude
// regex (DefaultTopicFilter, DefaultGroupFilter, DefaultConfigPropertyFilter).

function anyOf(patterns: string[]): RegExp | undefined {
  if (patterns.length === 0) return undefined
  return new RegExp(`^(?:${patterns.map((p) => `(?:${p})`).join('|')})$`)
}

export class NameFilter {
  private readonly include: RegExp | undefined
  private readonly exclude: RegExp | undefined

  constructor(include: string[], exclude: string[]) {
    this.include = anyOf(include)
    this.exclude = anyOf(exclude)
  }

  accepts(name: string): boolean {
    return this.include !== undefined && this.include.test(name) && !(this.exclude?.test(name) ?? false)
  }
}

export const topicFilter = (c: { topics: string[]; 'topics.exclude': string[] }): NameFilter => new NameFilter(c.topics, c['topics.exclude'])
export const groupFilter = (c: { groups: string[]; 'groups.exclude': string[] }): NameFilter => new NameFilter(c.groups, c['groups.exclude'])

/** Topic config properties to copy: everything except config.properties.exclude. */
export class ConfigPropertyFilter {
  private readonly exclude: RegExp | undefined
  constructor(excluded: string[]) { this.exclude = anyOf(excluded) }
  accepts(property: string): boolean { return !(this.exclude?.test(property) ?? false) }
}
