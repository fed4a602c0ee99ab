export default definePageConfig({ navigationBarTitleText: 'mobileimsdk-wasm' });
