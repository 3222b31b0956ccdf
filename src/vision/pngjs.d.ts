// Minimal typing for the part of pngjs used here (no @types/pngjs installed).
declare module 'pngjs' {
  export interface PNGData {
    width: number;
    height: number;
    /** RGBA, 4 bytes per pixel. */
    data: Buffer;
  }
  export const PNG: {
    sync: {
      read(buffer: Buffer, options?: { skipRescale?: boolean }): PNGData;
      write(png: PNGData, options?: Record<string, unknown>): Buffer;
    };
  };
}
