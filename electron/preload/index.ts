// The console window's preload. It runs sandboxed, so the build must bundle it into one file (only
// 'electron' may stay external): a sandboxed preload cannot require the contract from disk.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createFileBridge, createUsherApi } from './api';

contextBridge.exposeInMainWorld('usher', createUsherApi(ipcRenderer));
contextBridge.exposeInMainWorld('usherFiles', createFileBridge(webUtils));
