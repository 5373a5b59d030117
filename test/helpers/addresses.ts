/** Real public addresses and where the shipped DB-IP data puts them (81.2.69.160: London, GB; 8.8.8.8: Mountain View, US). */
export const LONDON_IP = '81.2.69.160';
export const MOUNTAIN_VIEW_IP = '8.8.8.8';
export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
