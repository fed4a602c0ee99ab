import { createPinia } from 'pinia';
import { createSSRApp } from 'vue';
import App from './App.vue';

/** uni-app's entry: the Vue app with Pinia, which holds the chat session (stores/chat.js). */
export function createApp() {
  const app = createSSRApp(App);
  app.use(createPinia());
  return { app };
}
