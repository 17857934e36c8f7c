// Scanning a registration's QR code with the device's camera, for the check-in desk.
// The browser's own BarcodeDetector where it has one (Chrome on Android), otherwise
// jsQR (vendored, loaded only then). A USB scanner needs none of this: it types the
// code into the search field and presses Enter.
(function () {
  "use strict";
  const button = document.querySelector("[data-camera-scan]");
  if (!button || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return; // no camera access (or not over HTTPS): the button stays hidden
  }
  const form = button.closest("form");
  const input = form.querySelector("input[name=q]");
  const box = document.getElementById(button.dataset.cameraScan);
  const video = box.querySelector("video");
  const status = box.querySelector("[data-camera-status]");
  let stream = null;
  button.hidden = false;

  function stop() {
    if (stream) { stream.getTracks().forEach((track) => track.stop()); }
    stream = null;
    box.hidden = true;
  }

  function found(text) {
    stop();
    input.value = text;
    form.submit();
  }

  function loadJsQR() {
    return new Promise((resolve, reject) => {
      if (window.jsQR) { resolve(window.jsQR); return; }
      const script = document.createElement("script");
      script.src = button.dataset.jsqr;
      script.onload = () => resolve(window.jsQR);
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  async function detector() {
    if ("BarcodeDetector" in window) {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) {
        const native = new window.BarcodeDetector({ formats: ["qr_code"] });
        return async () => {
          const codes = await native.detect(video);
          return codes.length ? codes[0].rawValue : null;
        };
      }
    }
    const decode = await loadJsQR();
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async () => {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      if (!canvas.width) { return null; }
      context.drawImage(video, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = decode(image.data, image.width, image.height);
      return code ? code.data : null;
    };
  }

  button.addEventListener("click", async () => {
    box.hidden = false;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) {
      status.textContent = button.dataset.denied;
      return;
    }
    video.srcObject = stream;
    await video.play();
    const read = await detector();
    const tick = async () => {
      if (!stream) { return; }
      const text = await read();
      if (text) { found(text); } else { requestAnimationFrame(tick); }
    };
    tick();
  });
  box.querySelector("[data-camera-close]").addEventListener("click", stop);
})();
