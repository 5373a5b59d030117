/**
 * Real consent strings for the consent tests: TC strings encoded here with @iabtcf/core against the
 * real Global Vendor List (v3, TCF v2.2, 376 vendors), GPP strings encoded with @iabgpp/cmpapi, and a
 * few strings made elsewhere.
 *
 * Example: `encodeTc({ purposeConsents: [1], vendorConsents: [755] })` -> `'CQ...'`
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GVL, PurposeRestriction, TCModel, TCString } from '@iabtcf/core';
import { GppModel } from '@iabgpp/cmpapi';
import { parseGvl } from '../../src/core/consent/index.ts';
import type { Gvl } from '../../src/core/consent/index.ts';

export const GVL_PATH = join(
  import.meta.dirname,
  '..',
  '..',
  'assets',
  'consent',
  'gvl-v3-tcf22-vendor-list.json',
);
const gvlJson: unknown = JSON.parse(readFileSync(GVL_PATH, 'utf8'));
type GvlJson = ConstructorParameters<typeof GVL>[0];
/** @iabtcf/core's GVL per TCF policy version: a TC string takes its policy version from its GVL. */
const iabGvls = new Map<number, GVL>();
function iabGvl(policyVersion: number | undefined): GVL {
  const version = policyVersion ?? 4;
  let found = iabGvls.get(version);
  if (found === undefined) {
    found = new GVL({ ...(gvlJson as object), tcfPolicyVersion: version } as GvlJson);
    iabGvls.set(version, found);
  }
  return found;
}

const parsed = parseGvl(gvlJson);
if (!parsed.ok) throw new Error(parsed.reason);
/** the real vendor list, parsed by our own `parseGvl` */
export const gvl: Gvl = parsed.gvl;
export { gvlJson };

/** The v1 example consent string of the IAB's consent-string-sdk-js documentation: a TCF v1 string. */
export const TCF_V1_STRING = 'BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA';
/**
 * The example TC string of the IAB's TCF v2 string-format documentation (CMP 27, vendor list 15,
 * created 20 Feb 2020, policy version 2, global scope): consent to purposes 1 to 3 and vendors 2, 6, 8.
 */
export const TCF_V20_SPEC_EXAMPLE = 'COvFyGBOvFyGBAbAAAENAPCAAOAAAAAAAAAAAEEUACCKAAA';
/**
 * A "reject all" TCF v2.0 string made by CMP 31 (policy version 2, vendor list 126, publisher DE),
 * not made here: it decodes with no consent and no legitimate interest at all.
 */
export const TCF_V20_REJECT_ALL = 'CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA';

export interface TcOptions {
  purposeConsents?: number[];
  purposeLegitimateInterests?: number[];
  vendorConsents?: number[];
  vendorLegitimateInterests?: number[];
  specialFeatureOptins?: number[];
  /** default 4 (TCF v2.2, as the real GVL); 2 makes a TCF v2.0-policy string */
  policyVersion?: number;
  restrictions?: { vendor: number; purpose: number; type: 0 | 1 | 2 }[];
}

/** A TCF v2.2 TC string with the given signals, made by a CMP with ID 10, dated 15 Jan 2024. */
export function encodeTc(options: TcOptions): string {
  const model = new TCModel(iabGvl(options.policyVersion));
  model.cmpId = 10;
  model.cmpVersion = 3;
  model.isServiceSpecific = true;
  model.publisherCountryCode = 'FR';
  model.created = new Date(Date.UTC(2024, 0, 15));
  model.lastUpdated = new Date(Date.UTC(2024, 0, 16));
  model.purposeConsents.set(options.purposeConsents ?? []);
  model.purposeLegitimateInterests.set(options.purposeLegitimateInterests ?? []);
  model.vendorConsents.set(options.vendorConsents ?? []);
  model.vendorLegitimateInterests.set(options.vendorLegitimateInterests ?? []);
  model.specialFeatureOptins.set(options.specialFeatureOptins ?? []);
  for (const r of options.restrictions ?? []) {
    model.publisherRestrictions.add(r.vendor, new PurposeRestriction(r.purpose, r.type));
  }
  return TCString.encode(model);
}

export const ALL_PURPOSES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

export interface GppOptions {
  tcfeuv2?: string;
  uspv1?: { Notice: string; OptOutSale: string; LspaCovered: string };
  usnat?: Record<string, number | boolean>;
  usca?: Record<string, number>;
}

/** A GPP string holding the given sections, encoded by @iabgpp/cmpapi. */
export function encodeGpp(options: GppOptions): string {
  const model = new GppModel();
  if (options.tcfeuv2 !== undefined) model.decodeSection('tcfeuv2', options.tcfeuv2);
  for (const [section, fields] of Object.entries({
    uspv1: options.uspv1,
    usnat: options.usnat,
    usca: options.usca,
  })) {
    for (const [name, value] of Object.entries(fields ?? {})) model.setFieldValue(section, name, value);
  }
  return model.encode();
}
