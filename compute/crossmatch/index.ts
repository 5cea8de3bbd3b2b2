/** LSDB-exact crossmatch of partitioned catalogs (KD-tree k nearest within a radius). */
export { crossmatch, planCrossmatchRun, type CrossmatchPlan } from './crossmatch';
export {
  inMemoryCatalog,
  InMemoryCatalog,
  HEALPIX_29,
  type InMemoryCatalogOptions,
} from './in-memory';
export { KdTree3 } from './kdtree';
export { matchPartition, unitVectors, chordFromArcsec, arcsecFromChord } from './match-partition';
export type { MatchOptions, MatchResult } from './match-partition';
export { loadMoc } from './moc';
export { DIST_COLUMN } from './output';
export type {
  CrossmatchOptions,
  CrossmatchProgress,
  JoinHow,
  SuffixMethod,
  BorderRows,
  ResolvedCrossmatchOptions,
} from './options';
export { findRaDec, readUserTable } from './user-file';
