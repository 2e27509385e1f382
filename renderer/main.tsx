import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApiClient } from './api/createApiClient.js';
import { App } from './app/App.js';
import { viewerDebug } from './viewer/ViewerDebug.js';
import './styles.css';

viewerDebug();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App client={connectApiClient()} />
  </StrictMode>,
);
