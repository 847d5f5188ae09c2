// The page of hello-render: plays the application's stream through Rendercast's browser client and steers it
// with the application's own call, setSpeed(n). An error the application answers is shown, not swallowed.
import { RendercastPlayer } from '/rendercast.js';

const canvas = document.getElementById('screen');
const state = document.getElementById('state');
const error = document.getElementById('error');
const player = new RendercastPlayer('hello/bar', { canvas });

player.addEventListener('statechange', (event) => { state.textContent = event.detail; });
player.addEventListener('error', (event) => { error.textContent = event.detail.message; });

async function setSpeed(value) {
  error.textContent = '';
  try {
    await player.call('setSpeed', value);
  } catch (failure) {
    error.textContent = failure.message; // the application's words, e.g. "setSpeed takes one number from 0 to 40"
  }
}

document.getElementById('speed').addEventListener('change', (event) => setSpeed(Number(event.target.value)));
document.getElementById('stop').addEventListener('click', () => setSpeed(0));

// For the example's own test: the player, and where the white bar is on the canvas now.
window.hello = {
  player,
  setSpeed,
  barAt() {
    const row = canvas.getContext('2d').getImageData(0, canvas.height >> 1, canvas.width, 1).data;
    for (let x = 0; x < canvas.width; x++) {
      if (row[4 * x] > 200 && row[4 * x + 1] > 200 && row[4 * x + 2] > 200) {
        return x;
      }
    }
    return -1;
  }
};
player.play().catch((failure) => { error.textContent = failure.message; });
