// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MIN_SKY_POINTS,
  NO_MAGNITUDES,
  QaPlots,
  sameRateSamples,
  unmatchedLegend,
} from '../../renderer/components/results/qa-plots';
import type { QaData } from '../../preload/api';

afterEach(cleanup);

const qa = (magnitudes: QaData['magnitudes']): QaData => ({
  sky: {
    matched: [[10, 20]],
    unmatched: [],
    matchedCount: 5000,
    unmatchedCount: null,
    note: 'The unmatched spec-z are not shown: the spec-z catalog is gone.',
  },
  redshift: { edges: [0, 1], counts: [5000] },
  separationArcsec: { edges: [0, 1], counts: [5000] },
  magnitudes,
});

describe('the QA plots', () => {
  it('say why a plot is empty or incomplete', () => {
    render(<QaPlots qa={qa([])} runName="r" />);
    expect(
      screen.getByText(
        /no magnitude columns: the run kept fluxes \(convert to magnitudes was off\)/,
      ),
    ).toBeTruthy();
    expect(
      screen.getByText('The unmatched spec-z are not shown: the spec-z catalog is gone.'),
    ).toBeTruthy();
  });

  it('name the spec-z missing from the output for what they are when duplicates were dropped', () => {
    const sky = { ...qa([]).sky, unmatched: [[1, 2]] as [number, number][], unmatchedCount: 10 };
    expect(unmatchedLegend(sky)).toBe('unmatched spec-z (10; 1 drawn)');
    expect(unmatchedLegend({ ...sky, unmatchedIncludesDropped: true })).toBe(
      'spec-z not in the set (unmatched, or dropped as duplicates) (10; 1 drawn)',
    );
  });

  it('say there is no magnitude to plot when no row has one (a left join without matches)', () => {
    // what main/engine/qa.ts gives for a DES DR2 run whose 80 spec-z rows all went unmatched:
    // the magnitude columns are there, every value null
    const none = ['g', 'r', 'i', 'z', 'y'].map((band) => ({
      band,
      column: `mag_auto_${band}`,
      histogram: { edges: [], counts: [] },
    }));
    render(
      <QaPlots qa={{ ...qa(none), colourVsRedshift: { label: 'g-r', points: [] } }} runName="r" />,
    );
    // it drew empty axes from 0 to 1 with the bands' legend
    const magnitudes = screen.getByRole('figure', { name: 'Magnitudes per band' });
    expect(within(magnitudes).getByText('No data for this plot.')).toBeTruthy();
    expect(within(magnitudes).getByText(NO_MAGNITUDES)).toBeTruthy();
    const colour = screen.getByRole('figure', { name: 'Colour g-r vs redshift' });
    expect(within(colour).getByText(NO_MAGNITUDES)).toBeTruthy();
  });

  it('say nothing more when the magnitudes are there', () => {
    const g = {
      band: 'g',
      column: 'mag_dered_cmodel_g',
      histogram: { edges: [20, 21], counts: [9] },
    };
    render(<QaPlots qa={qa([g])} runName="r" />);
    expect(screen.queryByText(/no magnitude columns/)).toBeNull();
    // the colour plot says why it is empty
    expect(
      screen.getByText('A colour needs two bands with magnitudes: the training set has fewer.'),
    ).toBeTruthy();
    cleanup();
    const r = { ...g, band: 'r', column: 'mag_dered_cmodel_r' };
    render(
      <QaPlots
        qa={{ ...qa([g, r]), colourVsRedshift: { label: 'g-r', points: [] } }}
        runName="r"
      />,
    );
    expect(
      screen.getByText('No row has both g and r measured (non-detections have no magnitude).'),
    ).toBeTruthy();
    cleanup();
    render(
      <QaPlots
        qa={{ ...qa([g, r]), colourVsRedshift: { label: 'g-r', points: [[0.5, 0.7]] } }}
        runName="r"
      />,
    );
    expect(screen.queryByText(/A colour needs|No row has both/)).toBeNull();
  });
});

describe("the plots' export buttons", () => {
  it('name their plot, so that a list of the buttons tells them apart', () => {
    render(<QaPlots qa={qa([])} runName="r" />);
    expect(
      screen
        .getAllByRole('button', { name: /^Export PNG/ })
        .map((b) => b.getAttribute('aria-label')),
    ).toEqual([
      'Export PNG of Sky: matched and unmatched spec-z',
      'Export PNG of Redshift distribution',
      'Export PNG of Crossmatch separation',
      'Export PNG of Magnitudes per band',
      'Export PNG of Colour vs redshift',
    ]);
    // the name starts with the words shown (speech input: "click Export PNG")
    expect(
      within(screen.getByRole('figure', { name: 'Redshift distribution' })).getByRole('button')
        .textContent,
    ).toBe('Export PNG');
  });
});

describe('the sky plot samples', () => {
  const points = (n: number, dec: number) =>
    Array.from({ length: n }, (_, i): [number, number] => [i / 10, dec]);

  it('are thinned to one sampling rate, so the density shows the proportions (950k to 50k)', () => {
    const matched = points(4000, 1);
    const unmatched = points(4000, 2);
    const [m, u] = sameRateSamples([
      { count: 949_855, points: matched },
      { count: 50_145, points: unmatched },
    ]);
    expect(m).toEqual(matched);
    // 50,145 x 4000 / 949,855 = 211.2: drawn at the matched rows' rate
    expect(u).toHaveLength(211);
    expect(new Set(u).size).toBe(211);
    for (const p of u) expect(unmatched).toContain(p);
    // a random subset, not the first ones (the engine's sample is ordered by partition)
    expect(Math.max(...u.map(([ra]) => ra))).toBeGreaterThan(300);
    expect(u.map(([ra]) => ra)).toEqual([...u.map(([ra]) => ra)].sort((a, b) => a - b));
  });

  it('keep at least MIN_SKY_POINTS of a small series, all points under the sample size, and an unknown series as it is', () => {
    const [, few] = sameRateSamples([
      { count: 1_000_000, points: points(4000, 1) },
      { count: 600, points: points(600, 2) },
    ]);
    expect(few).toHaveLength(MIN_SKY_POINTS);
    const small = sameRateSamples([
      { count: 30, points: points(30, 1) },
      { count: 5, points: points(5, 2) },
    ]);
    expect(small.map((s) => s.length)).toEqual([30, 5]);
    const unknown = sameRateSamples([
      { count: 5000, points: points(4000, 1) },
      { count: null, points: [] },
    ]);
    expect(unknown.map((s) => s.length)).toEqual([4000, 0]);
  });
});
