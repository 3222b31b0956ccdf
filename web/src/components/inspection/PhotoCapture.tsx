import { useEffect, useRef, useState } from 'react';

/** Longest side sent to the server: the classifier works on a 192-px-wide copy, so more only costs upload time. */
const MAX_SIDE = 1280;

/** A photo as a data URL ready to send: camera photos are downscaled to MAX_SIDE (JPEG); small files go as they are. */
export async function photoDataUrl(file: Blob): Promise<string> {
  const asIs = () =>
    new Promise<string>((ok, fail) => {
      const r = new FileReader();
      r.onload = () => ok(String(r.result));
      r.onerror = () => fail(r.error);
      r.readAsDataURL(file);
    });
  if (file.size <= 1_500_000 || typeof createImageBitmap !== 'function') return asIs();
  try {
    const bmp = await createImageBitmap(file);
    const f = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
    if (f === 1 && file.size <= 6_000_000) return asIs();
    const c = document.createElement('canvas');
    c.width = Math.round(bmp.width * f);
    c.height = Math.round(bmp.height * f);
    c.getContext('2d')!.drawImage(bmp, 0, 0, c.width, c.height);
    bmp.close();
    return c.toDataURL('image/jpeg', 0.9);
  } catch {
    return asIs();
  }
}

/**
 * Take a photo: the tablet's camera app through <input type=file capture=environment> (works everywhere), a live
 * camera preview through getUserMedia where the browser allows it, or any image file.
 */
export function PhotoCapture({ onPhoto, disabled }: { onPhoto: (file: Blob) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [camError, setCamError] = useState('');
  const canLive = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && window.isSecureContext;

  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
    return () => stream?.getTracks().forEach((t) => t.stop());
  }, [stream]);

  async function startCamera() {
    setCamError('');
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 } }, audio: false }));
    } catch (e) {
      setCamError(`Camera not available (${(e as Error).name}); use “Take or upload a photo”.`);
    }
  }
  function snap() {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    c.getContext('2d')!.drawImage(v, 0, 0);
    c.toBlob((b) => b && onPhoto(b), 'image/jpeg', 0.9);
  }

  return (
    <div className="insp-capture">
      <label className="insp-file">
        Take or upload a photo
        <input
          ref={input}
          type="file"
          accept="image/*"
          capture="environment"
          disabled={disabled}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) onPhoto(f);
            e.target.value = '';
          }}
        />
      </label>
      {canLive && !stream && (
        <button type="button" onClick={startCamera} disabled={disabled}>
          Live camera
        </button>
      )}
      {stream && (
        <div className="insp-live">
          <video ref={video} autoPlay playsInline muted aria-label="Camera preview" />
          <div className="row">
            <button type="button" onClick={snap} disabled={disabled}>Capture</button>
            <button type="button" onClick={() => setStream(null)}>Stop camera</button>
          </div>
        </div>
      )}
      {camError && <p className="err">{camError}</p>}
    </div>
  );
}
