// `node --import scripts/bench-rss-hook.js ...`: writes the process's peak RSS (KiB) at exit to
// $EKSGUARD_BENCH_RSS_FILE. The bench's fallback where GNU time is not installed.
import { writeFileSync } from 'node:fs';

const file = process.env.EKSGUARD_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));
