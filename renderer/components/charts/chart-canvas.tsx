import {
  BarController,
  BarElement,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  LinearScale,
  Legend,
  Tooltip,
);

/** Paints a white background so exported PNGs are not transparent (chart.js docs, "canvas background"). */
const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

export interface ChartHandle {
  /** The chart as a PNG data URL. */
  toPng(): string | null;
}

/** A chart.js chart in a canvas; recreated when `config` changes, destroyed on unmount. */
export const ChartCanvas = forwardRef<ChartHandle, { config: ChartConfiguration; label: string }>(
  function ChartCanvas({ config, label }, ref) {
    const canvas = useRef<HTMLCanvasElement>(null);
    const chart = useRef<Chart | null>(null);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (!canvas.current) return;
      try {
        chart.current = new Chart(canvas.current, {
          ...config,
          plugins: [...(config.plugins ?? []), whiteBackground],
          options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            ...config.options,
          },
        });
        setError(null);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      }
      return () => {
        chart.current?.destroy();
        chart.current = null;
      };
    }, [config]);
    useImperativeHandle(ref, () => ({
      toPng: () => chart.current?.toBase64Image('image/png', 1) ?? null,
    }));
    return (
      <>
        <canvas ref={canvas} role="img" aria-label={label} />
        {error && (
          <div className="alert error" role="alert">
            The plot could not be drawn: {error}
          </div>
        )}
      </>
    );
  },
);

/** Starts a browser download of a data URL (PNG export). */
export function downloadDataUrl(dataUrl: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
