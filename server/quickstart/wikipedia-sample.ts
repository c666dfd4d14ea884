/**
 * A deterministic generator of Wikipedia-edit events in the shape of Druid's
 * quickstart data source: the same columns, with realistic skew (a few
 * channels, pages and users dominate; most geo fields are null; robots and
 * anonymous edits in plausible proportions). Same seed and row count, same rows.
 */
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { SeededRandom, ZipfSampler } from './random.ts';

export const WIKIPEDIA_DAY_START = Date.UTC(2015, 8, 12);
const DAY_MS = 86_400_000;

const channels = [
  'en', 'vi', 'de', 'fr', 'it', 'es', 'ru', 'ja', 'pt', 'zh', 'nl', 'pl', 'sv', 'uk', 'ca', 'ar', 'fa', 'ko', 'cs', 'fi',
  'he', 'hu', 'id', 'no', 'ro', 'sr', 'tr', 'el', 'bg', 'da', 'eo', 'eu', 'gl', 'hr', 'hy', 'kk', 'lt', 'ms', 'sh', 'sk',
  'sl', 'ta', 'th', 'ur', 'uz', 'be', 'ce', 'la', 'nn', 'simple', 'war',
].map((c) => `#${c}.wikipedia`);

const namespaces = ['Main', 'User', 'Talk', 'User talk', 'Wikipedia', 'Template', 'Category', 'File', 'Draft', 'Module'];
const namespaceWeights = new ZipfSampler(namespaces.length, 1.6);

const countries: readonly (readonly [string, string, readonly (readonly [string, string, string, number | null])[]])[] = [
  ['US', 'United States', [['CA', 'California', 'San Francisco', 807], ['NY', 'New York', 'New York', 501], ['TX', 'Texas', 'Austin', 635], ['WA', 'Washington', 'Seattle', 819]]],
  ['GB', 'United Kingdom', [['ENG', 'England', 'London', null], ['SCT', 'Scotland', 'Edinburgh', null]]],
  ['DE', 'Germany', [['BE', 'Berlin', 'Berlin', null], ['BY', 'Bavaria', 'Munich', null]]],
  ['FR', 'France', [['J', 'Ile-de-France', 'Paris', null]]],
  ['IN', 'India', [['MH', 'Maharashtra', 'Mumbai', null], ['KA', 'Karnataka', 'Bengaluru', null]]],
  ['VN', 'Viet Nam', [['SG', 'Ho Chi Minh', 'Ho Chi Minh City', null]]],
  ['JP', 'Japan', [['13', 'Tokyo', 'Tokyo', null]]],
  ['BR', 'Brazil', [['SP', 'Sao Paulo', 'São Paulo', null]]],
  ['IT', 'Italy', [['RM', 'Lazio', 'Rome', null]]],
  ['RU', 'Russia', [['MOW', 'Moscow', 'Moscow', null]]],
  ['CA', 'Canada', [['ON', 'Ontario', 'Toronto', null]]],
  ['AU', 'Australia', [['NSW', 'New South Wales', 'Sydney', null]]],
];

const syllables = ['an', 'ber', 'cal', 'dor', 'el', 'fin', 'gar', 'hol', 'is', 'jor', 'kin', 'lum', 'mar', 'nor', 'ost', 'pel', 'quin', 'ros', 'sol', 'tir', 'ul', 'ver', 'wen', 'xan', 'yor', 'zel'];
const words = ['History', 'List', 'Battle', 'Church', 'Station', 'River', 'Album', 'Film', 'Season', 'Election', 'University', 'Football', 'Club', 'Village', 'Species', 'Party', 'Company', 'Song', 'Island', 'County'];
const comments = ['fix typo', 'Reverted edits', 'added content', '/* External links */', 'update', 'cleanup', 'copyedit', 'rv vandalism', 'added citation', 'Bot: Fixing redirects', 'wikidata link', ''];

function name(random: SeededRandom, parts: number): string {
  let s = '';
  for (let i = 0; i < parts; i++) s += syllables[random.int(syllables.length)];
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The schema of the generated `wikipedia` data source: no rollup, like Druid's quickstart. */
export function wikipediaSchema(dataSource = 'wikipedia'): DataSchema {
  const strings = ['channel', 'cityName', 'comment', 'countryIsoCode', 'countryName', 'isAnonymous', 'isMinor', 'isNew', 'isRobot',
    'isUnpatrolled', 'metroCode', 'namespace', 'page', 'regionIsoCode', 'regionName', 'user'];
  return {
    dataSource,
    dimensionsSpec: {
      dimensions: [
        ...strings.map((n) => ({ name: n, type: 'string' as const })),
        { name: 'added', type: 'long' as const },
        { name: 'deleted', type: 'long' as const },
        { name: 'delta', type: 'long' as const },
      ],
    },
    metricsSpec: [],
    queryGranularity: 'none',
    segmentGranularity: 'day',
    rollup: false,
  };
}

export interface WikipediaSampleOptions {
  readonly rows: number;
  readonly seed?: number;
  /** Days of data, starting 2015-09-12 (default 1). */
  readonly days?: number;
}

/** Yields the rows in time order. */
export function* generateWikipedia(options: WikipediaSampleOptions): Generator<InputRow> {
  const random = new SeededRandom(options.seed ?? 20150912);
  const days = options.days ?? 1;
  const span = days * DAY_MS;
  const channelSampler = new ZipfSampler(channels.length, 1.3);
  const pageCount = Math.max(100, Math.min(200_000, Math.floor(options.rows / 3)));
  const pageSampler = new ZipfSampler(pageCount, 0.9);
  const userCount = Math.max(50, Math.min(100_000, Math.floor(options.rows / 8)));
  const userSampler = new ZipfSampler(userCount, 1.05);
  const countrySampler = new ZipfSampler(countries.length, 1.2);
  const pageNames: string[] = [];
  for (let i = 0; i < pageCount; i++) {
    pageNames.push(random.chance(0.5) ? `${words[random.int(words.length)]} of ${name(random, 2)}` : `${name(random, 2)} ${name(random, 3)}`);
  }
  const userNames: string[] = [];
  for (let i = 0; i < userCount; i++) userNames.push(i % 17 === 3 ? `${name(random, 2)}Bot` : name(random, 1 + random.int(3)));

  for (let i = 0; i < options.rows; i++) {
    // Evenly spread, strictly ordered times with jitter inside each slot, with a daily rhythm.
    const slot = span / options.rows;
    const base = WIKIPEDIA_DAY_START + i * slot;
    const time = Math.floor(base + random.next() * slot);
    const channel = channels[channelSampler.sample(random)];
    const anonymous = random.chance(0.12);
    const userIndex = userSampler.sample(random);
    const user = anonymous
      ? `${1 + random.int(223)}.${random.int(256)}.${random.int(256)}.${random.int(256)}`
      : userNames[userIndex];
    const robot = !anonymous && user.endsWith('Bot');
    let cityName: string | null = null, countryIsoCode: string | null = null, countryName: string | null = null;
    let regionIsoCode: string | null = null, regionName: string | null = null, metroCode: string | null = null;
    if (anonymous) {
      const [iso, country, regions] = countries[countrySampler.sample(random)];
      const [rIso, rName, city, metro] = regions[random.int(regions.length)];
      countryIsoCode = iso; countryName = country; regionIsoCode = rIso; regionName = rName;
      cityName = random.chance(0.7) ? city : null;
      metroCode = metro === null ? null : String(metro);
    }
    const isNew = random.chance(0.08);
    const big = isNew || random.chance(0.05);
    const added = random.chance(0.15) ? 0 : Math.floor(Math.pow(random.next(), big ? 1 : 3) * (big ? 20000 : 2000));
    const deleted = random.chance(0.7) ? 0 : Math.floor(Math.pow(random.next(), 4) * 1500);
    yield {
      __time: time,
      channel,
      cityName,
      comment: comments[random.int(comments.length)],
      countryIsoCode,
      countryName,
      isAnonymous: String(anonymous),
      isMinor: String(random.chance(0.3)),
      isNew: String(isNew),
      isRobot: String(robot),
      isUnpatrolled: String(random.chance(0.15)),
      metroCode,
      namespace: namespaces[namespaceWeights.sample(random)],
      page: pageNames[pageSampler.sample(random)],
      regionIsoCode,
      regionName,
      user,
      added,
      deleted,
      delta: added - deleted,
    };
  }
}
