export default defineAppConfig({
  pages: ['pages/chat/index'],
  window: { navigationBarTitleText: 'mobileimsdk-wasm', navigationBarBackgroundColor: '#F8F8F8' },
});
