/**
 * The demo app: one IM session for the app's lifetime, reached by pages as `getApp().im`.
 */
const { createImManager } = require('./im-manager.js');

App({
  /** The IM manager (see im-manager.js), created at launch. */
  im: null,

  onLaunch() {
    this.im = createImManager();
  },
});
