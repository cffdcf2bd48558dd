// Builds dist/ once: the fault suite runs every app as `node dist/apps/<app>/src/main.js`, as production does.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async () => {
  if (process.env.FAULTS_SKIP_BUILD === '1') return;
  const started = Date.now();
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: join(__dirname, '..', '..'), stdio: 'inherit' });
  process.stdout.write(`\nfaults: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
};
