import { readFile } from 'node:fs/promises';
import { StudyRepository } from '../db/StudyRepository.js';
import { decodePgm, decodePng } from '../imaging/rasterFormats.js';
import type { Workspace } from '../workspace/Workspace.js';
import { rasterToDicom } from './rasterToDicom.js';

/** The bytes of one image as the viewer loads them: always DICOM Part 10. */
export interface ImageFile {
  bytes: Uint8Array;
  contentType: 'application/dicom';
  /** Strong validator: the stored file's sha256 (plus a suffix for wrapped rasters). */
  etag: string;
}

/** A client-supplied image id that doesn't name a stored image. */
export class ImageNotFoundError extends Error {}

const WRAPPED_CACHE_SIZE = 8;

/**
 * Serves stored images by database id to the viewer (HTTP in browser mode, the `mammo://`
 * protocol in Electron). A client only ever names an id; the path comes from the stored row and
 * goes through {@link Workspace.resolvePath}, so no request can reach another file.
 */
export class ImageFileSource {
  private readonly studies: StudyRepository;
  /** Recently wrapped rasters (a 1024x1024 8-bit image is 1 MB). */
  private readonly wrapped = new Map<number, ImageFile>();

  constructor(private readonly workspace: Workspace) {
    this.studies = new StudyRepository(workspace.db);
  }

  /** Parses the id segment of an image URL; null when it isn't a positive integer. */
  static parseImageId(segment: string): number | null {
    if (!/^[1-9]\d{0,15}$/.test(segment)) return null;
    const id = Number(segment);
    return Number.isSafeInteger(id) ? id : null;
  }

  async read(imageId: number): Promise<ImageFile> {
    const image = this.studies.getImage(imageId);
    if (!image) throw new ImageNotFoundError(`image ${imageId} not found`);
    const bytes = new Uint8Array(await readFile(this.workspace.resolvePath(image.path)));
    if (image.format === 'dicom')
      return { bytes, contentType: 'application/dicom', etag: `"${image.sha256}"` };

    const cached = this.wrapped.get(imageId);
    if (cached) return cached;
    const detail = this.studies.getStudyDetail(image.studyId);
    const series = detail?.series.find((s) => s.id === image.seriesId);
    if (!detail || !series) throw new ImageNotFoundError(`image ${imageId} has no study`);
    const raster = image.format === 'png' ? decodePng(bytes, image.path) : decodePgm(bytes, image.path);
    const file: ImageFile = {
      bytes: rasterToDicom(raster, image, detail.study, series.seriesUid),
      contentType: 'application/dicom',
      etag: `"${image.sha256}-dcm1"`,
    };
    this.wrapped.set(imageId, file);
    if (this.wrapped.size > WRAPPED_CACHE_SIZE) {
      const oldest = this.wrapped.keys().next().value;
      if (oldest !== undefined) this.wrapped.delete(oldest);
    }
    return file;
  }
}
