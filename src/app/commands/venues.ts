// `ordo venues`: the capability matrix of every venue — what goes native, what Ordo emulates.

import { defineCommand, EXIT, writeJson } from '../cli-kit.ts';
import { knownVenues, venueMatrix } from '../venue-matrix.ts';

export const venuesCommand = defineCommand({
  name: 'venues',
  summary: 'the capability matrix of every venue: what goes native, what Ordo emulates',
  usage: `Usage:
  ordo venues [--json]

Flags:
  --json   every venue's capability table as JSON`,
  examples: ['ordo venues', 'ordo venues --json'],
  flags: {},
  run({ flags }, io) {
    if (flags.json) writeJson(io, knownVenues());
    else io.stdout.write(venueMatrix());
    return EXIT.ok;
  },
});
