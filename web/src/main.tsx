import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { matchPath } from './router.tsx';
import { routes } from './routes.ts';
import './styles.css';

// Start downloading the first page's chunk now, in parallel with the session check.
void routes.find((r) => matchPath(r.path, window.location.pathname))?.load().catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
