// Taro's Babel preset for React on webpack 5, as `taro init` writes it.
module.exports = {
  presets: [['taro', { framework: 'react', ts: false, compiler: 'webpack5' }]],
};
