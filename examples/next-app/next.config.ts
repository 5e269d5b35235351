import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // `next dev` serves its scripts only to localhost unless told otherwise: the devserver's
  // banner and many terminals print 127.0.0.1, where the page would never become interactive.
  allowedDevOrigins: ['127.0.0.1'],
};

export default nextConfig;
