// Chart.js with only the pieces the dashboard draws (tree-shaken), no animation: a chart is drawn once per read.
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale,
  LineController, LineElement, PointElement, Tooltip, Filler,
} from 'chart.js';

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale,
  LineController, LineElement, PointElement, Tooltip, Filler);
Chart.defaults.animation = false;
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font') || 'system-ui';
Chart.defaults.color = '#334155';

// Distinguishable on white, and in order of strength.
export const PALETTE = ['#0e7490', '#c2410c', '#7c3aed', '#15803d', '#b91c1c', '#a16207', '#1d4ed8', '#be185d',
  '#4d7c0f', '#475569'];
export const INCOME = '#15803d';
export const EXPENSE = '#b91c1c';
export const NET = '#0e7490';

export { Chart };
