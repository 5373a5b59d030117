import { GppModel, HeaderV1, Sections } from '@iabgpp/cmpapi';
import type { GppConsent, GppResult, UsSectionResult } from './consent-types.ts';
import { decodeTcf } from './decode-tcf.ts';
import { decodeUsp } from './decode-usp.ts';

const MAX_GPP_STRING_LENGTH = 65_536;
const GPP_STRING_CHARS = /^[A-Za-z0-9_\-.~]+$/;
export const GPP_SECTION = { tcfeuv2: 2, uspv1: 6, usnat: 7, firstUsState: 8, lastUsState: 27 } as const;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The header's section IDs, in the order of the sections after it; a reason when it does not decode. */
function headerSectionIds(header: string): number[] | string {
  try {
    const decoded = new HeaderV1(header);
    const type: unknown = decoded.getFieldValue('Id');
    const version: unknown = decoded.getFieldValue('Version');
    if (type !== HeaderV1.ID || version !== HeaderV1.VERSION) {
      return `GPP header is not valid: type ${String(type)} version ${String(version)}, not 3 and 1`;
    }
    const ids: unknown = decoded.getFieldValue('SectionIds');
    if (Array.isArray(ids) && ids.every((id) => Number.isInteger(id))) return ids as number[];
    return 'GPP header has no list of section IDs';
  } catch (error) {
    return `GPP header is not valid: ${errorMessage(error)}`;
  }
}

function field(section: Record<string, unknown>, name: string): number {
  const value = section[name];
  return typeof value === 'number' ? value : 0;
}

/** Reads the opt-outs of a US section (usnat or a state); the library decodes sections lazily. */
function usSection(model: GppModel, sectionId: number): UsSectionResult {
  const name = Sections.SECTION_ID_NAME_MAP.get(sectionId) ?? `section ${sectionId}`;
  let decoded: unknown;
  try {
    decoded = model.getSection(name);
  } catch (error) {
    return { ok: false, reason: `GPP section ${name} (${sectionId}): ${errorMessage(error)}` };
  }
  if (typeof decoded !== 'object' || decoded === null) {
    return { ok: false, reason: `GPP section ${name} (${sectionId}) is not supported` };
  }
  const section = decoded as Record<string, unknown>;
  return {
    ok: true,
    sectionId,
    section: name,
    saleOptOut: field(section, 'SaleOptOut'),
    sharingOptOut: field(section, 'SharingOptOut'),
    targetedAdvertisingOptOut: field(section, 'TargetedAdvertisingOptOut'),
    saleOptOutNotice: field(section, 'SaleOptOutNotice'),
    sharingOptOutNotice: field(section, 'SharingOptOutNotice'),
    targetedAdvertisingOptOutNotice: field(section, 'TargetedAdvertisingOptOutNotice'),
    sharingNotice: field(section, 'SharingNotice'),
    gpc: section['Gpc'] === true,
  };
}

function prefixed<T extends { ok: boolean }>(result: T, prefix: string): T {
  return 'reason' in result && typeof result.reason === 'string'
    ? { ...result, reason: `${prefix}: ${result.reason}` }
    : result;
}

/**
 * Decodes a GPP string (`HEADER~SECTION~...`): the header with @iabgpp/cmpapi, then each section that
 * applies: TCF EU v2 (2) as a TC string, US Privacy (6) as a US Privacy string, usnat (7) and the US
 * state sections (8 to 27) as their opt-outs. `gppSid` (sent beside the string, as in OpenRTB) says
 * which sections apply; without it, every section in the string does. Other sections (e.g. Canada's
 * 5) are listed in `sectionIds` and not decoded. Never throws.
 *
 * Example:
 * ```ts
 * const gpp = decodeGpp('DBABTA~1YNN');
 * // { ok: true, sectionIds: [6], gppSid: [6], uspv1: { ok: true, version: 1, notice: 'Y', ... }, usStates: [] }
 * ```
 */
export function decodeGpp(gppString: string, gppSid?: number[]): GppResult {
  if (gppString.length === 0) return { ok: false, reason: 'GPP string is empty' };
  if (gppString.length > MAX_GPP_STRING_LENGTH) {
    return { ok: false, reason: `GPP string is longer than ${MAX_GPP_STRING_LENGTH} characters` };
  }
  if (!GPP_STRING_CHARS.test(gppString) || !gppString.startsWith('D')) {
    return { ok: false, reason: 'not a GPP string: it must start with a "D" header of base64url characters' };
  }
  const parts = gppString.split('~');
  const sectionIds = headerSectionIds(parts[0] ?? '');
  if (typeof sectionIds === 'string') return { ok: false, reason: sectionIds };
  if (sectionIds.length !== parts.length - 1) {
    return {
      ok: false,
      reason: `GPP header lists ${sectionIds.length} sections but the string holds ${parts.length - 1}`,
    };
  }
  let model: GppModel;
  try {
    model = new GppModel(gppString);
    model.getSectionIds(); // the model decodes lazily: this checks the header and the section count now
  } catch (error) {
    return { ok: false, reason: `GPP string is not valid: ${errorMessage(error)}` };
  }
  const applies = gppSid ?? sectionIds;
  const result: GppConsent = { ok: true, sectionIds, gppSid: [...applies], usStates: [] };
  sectionIds.forEach((id, index) => {
    if (!applies.includes(id)) return;
    const encoded = parts[index + 1] ?? '';
    if (id === GPP_SECTION.tcfeuv2) {
      result.tcfeuv2 = prefixed(decodeTcf(encoded), 'GPP section tcfeuv2 (2)');
    } else if (id === GPP_SECTION.uspv1) {
      result.uspv1 = prefixed(decodeUsp(encoded), 'GPP section uspv1 (6)');
    } else if (id === GPP_SECTION.usnat) {
      result.usnat = usSection(model, id);
    } else if (id >= GPP_SECTION.firstUsState && id <= GPP_SECTION.lastUsState) {
      result.usStates.push(usSection(model, id));
    }
  });
  return result;
}
