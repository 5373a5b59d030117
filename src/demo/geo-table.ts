import type { Prng } from './prng.ts';
import { WeightedPicker } from './sampling.ts';

/** A place a demo profile lives in: ISO 3166-1 country, ISO 3166-2 region, city. */
export interface Place {
  country: string;
  region: string;
  city: string;
}

/**
 * 60 countries, weighted toward the US (29%) and GB (10%); the weights sum to 100, each with regions and cities and their weights
 * within the country. London is 20% of GB, so about 2% of all profiles.
 * Format: `[country, weight (% of profiles), [[region, city, weight within country], ...]]`.
 */
// prettier-ignore
const COUNTRIES: readonly (readonly [string, number, readonly (readonly [string, string, number])[]])[] = [
  ['US', 29, [['US-NY', 'New York', 18], ['US-CA', 'Los Angeles', 14], ['US-CA', 'San Francisco', 8], ['US-IL', 'Chicago', 10], ['US-TX', 'Houston', 8], ['US-TX', 'Austin', 5], ['US-WA', 'Seattle', 7], ['US-FL', 'Miami', 8], ['US-MA', 'Boston', 7], ['US-GA', 'Atlanta', 7], ['US-CO', 'Denver', 8]]],
  ['GB', 10, [['GB-ENG', 'London', 20], ['GB-ENG', 'Manchester', 14], ['GB-ENG', 'Birmingham', 13], ['GB-ENG', 'Leeds', 10], ['GB-ENG', 'Bristol', 9], ['GB-ENG', 'Liverpool', 8], ['GB-SCT', 'Edinburgh', 8], ['GB-SCT', 'Glasgow', 8], ['GB-WLS', 'Cardiff', 6], ['GB-NIR', 'Belfast', 4]]],
  ['DE', 6, [['DE-BE', 'Berlin', 35], ['DE-BY', 'Munich', 25], ['DE-HH', 'Hamburg', 20], ['DE-NW', 'Cologne', 20]]],
  ['FR', 5, [['FR-IDF', 'Paris', 55], ['FR-ARA', 'Lyon', 25], ['FR-PAC', 'Marseille', 20]]],
  ['CA', 4, [['CA-ON', 'Toronto', 45], ['CA-QC', 'Montreal', 30], ['CA-BC', 'Vancouver', 25]]],
  ['AU', 3, [['AU-NSW', 'Sydney', 55], ['AU-VIC', 'Melbourne', 45]]],
  ['IE', 2, [['IE-D', 'Dublin', 75], ['IE-CO', 'Cork', 25]]],
  ['NL', 2, [['NL-NH', 'Amsterdam', 60], ['NL-ZH', 'Rotterdam', 40]]],
  ['ES', 2, [['ES-MD', 'Madrid', 55], ['ES-CT', 'Barcelona', 45]]],
  ['IT', 2, [['IT-62', 'Rome', 50], ['IT-25', 'Milan', 50]]],
  ['IN', 3.6, [['IN-MH', 'Mumbai', 40], ['IN-DL', 'Delhi', 35], ['IN-KA', 'Bengaluru', 25]]],
  ['BR', 2, [['BR-SP', 'São Paulo', 60], ['BR-RJ', 'Rio de Janeiro', 40]]],
  ['MX', 1.5, [['MX-CMX', 'Mexico City', 100]]],
  ['JP', 2, [['JP-13', 'Tokyo', 70], ['JP-27', 'Osaka', 30]]],
  ['CN', 1, [['CN-SH', 'Shanghai', 50], ['CN-BJ', 'Beijing', 50]]],
  ['KR', 1, [['KR-11', 'Seoul', 100]]],
  ['SE', 1, [['SE-AB', 'Stockholm', 100]]],
  ['NO', 1, [['NO-03', 'Oslo', 100]]],
  ['DK', 1, [['DK-84', 'Copenhagen', 100]]],
  ['FI', 0.8, [['FI-18', 'Helsinki', 100]]],
  ['BE', 1, [['BE-BRU', 'Brussels', 100]]],
  ['CH', 1, [['CH-ZH', 'Zurich', 60], ['CH-GE', 'Geneva', 40]]],
  ['AT', 0.8, [['AT-9', 'Vienna', 100]]],
  ['PL', 1, [['PL-14', 'Warsaw', 100]]],
  ['PT', 0.8, [['PT-11', 'Lisbon', 100]]],
  ['GR', 0.6, [['GR-I', 'Athens', 100]]],
  ['CZ', 0.6, [['CZ-10', 'Prague', 100]]],
  ['HU', 0.5, [['HU-BU', 'Budapest', 100]]],
  ['RO', 0.5, [['RO-B', 'Bucharest', 100]]],
  ['BG', 0.3, [['BG-22', 'Sofia', 100]]],
  ['HR', 0.3, [['HR-21', 'Zagreb', 100]]],
  ['RS', 0.3, [['RS-00', 'Belgrade', 100]]],
  ['SK', 0.3, [['SK-BL', 'Bratislava', 100]]],
  ['SI', 0.2, [['SI-061', 'Ljubljana', 100]]],
  ['EE', 0.2, [['EE-37', 'Tallinn', 100]]],
  ['LV', 0.2, [['LV-RIX', 'Riga', 100]]],
  ['LT', 0.2, [['LT-VL', 'Vilnius', 100]]],
  ['UA', 0.4, [['UA-30', 'Kyiv', 100]]],
  ['TR', 0.8, [['TR-34', 'Istanbul', 100]]],
  ['IL', 0.5, [['IL-TA', 'Tel Aviv', 100]]],
  ['AE', 0.8, [['AE-DU', 'Dubai', 100]]],
  ['SA', 0.5, [['SA-01', 'Riyadh', 100]]],
  ['EG', 0.4, [['EG-C', 'Cairo', 100]]],
  ['ZA', 0.8, [['ZA-GP', 'Johannesburg', 60], ['ZA-WC', 'Cape Town', 40]]],
  ['NG', 0.5, [['NG-LA', 'Lagos', 100]]],
  ['KE', 0.3, [['KE-30', 'Nairobi', 100]]],
  ['MA', 0.3, [['MA-06', 'Casablanca', 100]]],
  ['PK', 0.4, [['PK-PB', 'Lahore', 100]]],
  ['BD', 0.3, [['BD-13', 'Dhaka', 100]]],
  ['TW', 0.4, [['TW-TPE', 'Taipei', 100]]],
  ['SG', 0.8, [['SG-01', 'Singapore', 100]]],
  ['MY', 0.4, [['MY-14', 'Kuala Lumpur', 100]]],
  ['TH', 0.4, [['TH-10', 'Bangkok', 100]]],
  ['VN', 0.3, [['VN-SG', 'Ho Chi Minh City', 100]]],
  ['ID', 0.4, [['ID-JK', 'Jakarta', 100]]],
  ['PH', 0.4, [['PH-00', 'Manila', 100]]],
  ['NZ', 0.8, [['NZ-AUK', 'Auckland', 100]]],
  ['AR', 0.6, [['AR-C', 'Buenos Aires', 100]]],
  ['CL', 0.4, [['CL-RM', 'Santiago', 100]]],
  ['CO', 0.4, [['CO-DC', 'Bogotá', 100]]],
];

/** Every place, flattened; a profile stores its index into this list. */
export const PLACES: readonly Place[] = COUNTRIES.flatMap(([country, , cities]) =>
  cities.map(([region, city]) => ({ country, region, city })),
);

/** The number of countries in the table (60). */
export const COUNTRY_COUNT = COUNTRIES.length;

const placeWeights = COUNTRIES.flatMap(([, countryWeight, cities]) => {
  const total = cities.reduce((sum, [, , w]) => sum + w, 0);
  return cities.map(([, , w]) => (countryWeight * w) / total);
});
const placePicker = new WeightedPicker(placeWeights);

/**
 * Draws an index into `PLACES`, weighted by country and by city within it.
 * Example: `PLACES[drawPlace(rng)]` -> `{ country: "GB", region: "GB-ENG", city: "London" }` 2% of the time.
 */
export function drawPlace(rng: Prng): number {
  return placePicker.draw(rng);
}

/**
 * The expected share of profiles whose home is a city (for tests and documentation).
 * Example: `placeShare("London")` -> about 0.02
 */
export function placeShare(city: string): number {
  const total = placeWeights.reduce((a, b) => a + b, 0);
  return PLACES.reduce((sum, p, i) => sum + (p.city === city ? (placeWeights[i] as number) : 0), 0) / total;
}
