/**
 * Most worker threads one can ask for (tsm run/xmatch/demo, the app's Settings): each holds its
 * partitions in memory (~100 MB in a large run), so a mistyped count (1000) would take all the
 * memory of a laptop. A module of its own so the app's page can import it (pool.ts loads Piscina).
 */
export const MAX_WORKERS = 64;
